"""Object stores behind one small protocol. Originals are immutable and addressed by hash."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path
from typing import Protocol

from minio import Minio
from minio.error import S3Error
from minio.sse import SseS3

from core.settings import Settings


class ObjectStore(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def get(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def ping(self) -> None:
        """Raise if the store cannot be reached."""


def original_key(sha256: str) -> str:
    return f"originals/{sha256[:2]}/{sha256}"


def page_key(sha256: str, number: int) -> str:
    """The words, boxes and confidences read off a page."""
    return f"pages/{sha256}/{number:04d}.json"


def page_image_key(sha256: str, number: int) -> str:
    """The upright page image an OCRed page's word boxes refer to (for the review screen)."""
    return f"pages/{sha256}/{number:04d}.png"


class LocalObjectStore:
    """Files under a folder; writes are atomic and fsynced, so a stored key is durable."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"object key escapes the store: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def ping(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)


class S3ObjectStore:
    """MinIO or any S3 API through the minio client."""

    def __init__(self, client: Minio, bucket: str, encrypt: bool = False) -> None:
        self.client, self.bucket = client, bucket
        self.sse = SseS3() if encrypt else None
        if not client.bucket_exists(bucket):
            client.make_bucket(bucket)

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(self.bucket, key, io.BytesIO(data), len(data), sse=self.sse)

    def get(self, key: str) -> bytes:
        response = self.client.get_object(self.bucket, key)
        try:
            return response.read()
        finally:
            response.close()
            response.release_conn()

    def exists(self, key: str) -> bool:
        try:
            self.client.stat_object(self.bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject", "NotFound"):
                return False
            raise
        return True

    def ping(self) -> None:
        self.client.bucket_exists(self.bucket)


def make_store(settings: Settings) -> ObjectStore:
    if settings.object_store == "local":
        return LocalObjectStore(settings.data_dir / "objects")
    if settings.object_store == "s3":
        client = Minio(
            settings.s3_endpoint,
            access_key=settings.s3_access_key,
            secret_key=settings.s3_secret_key,
            secure=settings.s3_secure,
            region=settings.s3_region,
        )
        return S3ObjectStore(client, settings.s3_bucket, settings.s3_sse)
    raise ValueError(f"unknown object store {settings.object_store!r}; known: local, s3")


def put_once(store: ObjectStore, key: str, data: bytes) -> None:
    """Write an immutable object unless it is already there."""
    if not store.exists(key):
        store.put(key, data)
