"""The worker's own liveness: it beats while a long job runs, and a silent one drops out."""

import threading

from redis import Redis
from rq import Worker

from storage.liveness import heartbeat_age, live_workers
from workers.worker import FaxWorker


def test_the_heartbeat_goes_on_while_a_long_job_runs(services):
    services.queue.enqueue("time.sleep", 3, job_id="fax-0-long")
    worker = FaxWorker([services.queue], services.redis, beat_seconds=0.5)
    done, ages = threading.Event(), []

    def watch() -> None:  # from outside, as the recovery sweep sees the worker
        redis = Redis.from_url(services.settings.redis_url)
        while not done.wait(0.3):
            found = Worker.find_by_key(worker.key, connection=redis)
            if found and found.get_current_job_id() == "fax-0-long":
                ages.append(heartbeat_age(found))

    watching = threading.Thread(target=watch)
    watching.start()
    worker.work(burst=True)  # rq's signal handlers want the main thread
    done.set()
    watching.join()
    assert len(ages) >= 6 and max(ages) < 1.5  # SimpleWorker alone beats only between jobs


def test_a_worker_silent_past_the_stale_limit_is_dropped(services, registered_worker):
    assert [w.name for w in live_workers(services.queue, 30)] == [registered_worker.name]
    services.redis.hset(registered_worker.key, "last_heartbeat", "2026-01-01T00:00:00.000000Z")
    assert live_workers(services.queue, 30) == []
    assert registered_worker.name not in [w.name for w in Worker.all(queue=services.queue)]
