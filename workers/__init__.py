"""rq jobs that wrap the pipeline's stages, and the worker that runs them."""
