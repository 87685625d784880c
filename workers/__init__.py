"""rq jobs that wrap the pipeline's stages, queueing and recovery, the worker and its
supervisor, and the services (store, database, Redis) a running faxintake is built from."""
