"""The pipeline's stages run together over plain data: read a fax's pages, classify, split,
extract, apply the rules, build the contract's result. The CLI, the workers and the web app
all call these same functions."""
