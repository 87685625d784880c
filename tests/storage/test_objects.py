import socket

import pytest
from minio import Minio
from moto.server import ThreadedMotoServer

from storage.objects import LocalObjectStore, S3ObjectStore, original_key, put_once


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"127.0.0.1:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path, s3_endpoint):
    if request.param == "local":
        return LocalObjectStore(tmp_path / "objects")
    client = Minio(s3_endpoint, access_key="test", secret_key="test", secure=False, region="us-east-1")
    return S3ObjectStore(client, f"bucket-{tmp_path.name.lower().replace('_', '-')[:40]}")


def test_put_get_exists(store):
    key = original_key("ab" * 32)
    assert not store.exists(key)
    store.put(key, b"%PDF-1.4 fax")
    assert store.exists(key) and store.get(key) == b"%PDF-1.4 fax"
    store.ping()


def test_originals_are_written_once(store):
    key = original_key("cd" * 32)
    put_once(store, key, b"first")
    put_once(store, key, b"second")
    assert store.get(key) == b"first"


def test_local_keys_cannot_escape_the_store(tmp_path):
    with pytest.raises(ValueError):
        LocalObjectStore(tmp_path / "objects").put("../outside", b"x")
