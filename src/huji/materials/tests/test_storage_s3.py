"""The same upload, fetch and delete against S3-compatible object storage: moto's
server on 127.0.0.1 standing in for the production bucket."""

import io

import pytest
from django.urls import reverse
from PIL import Image

from huji.accounts.tests.helpers import sign_in_resident
from huji.materials.services import upload_accept, upload_delete
from huji.materials.tests.conftest import as_upload

pytestmark = pytest.mark.django_db
BUCKET = "huji-materials-test"


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch):
    import boto3

    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": s3_server,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_upload_fetch_and_delete_against_s3(
    s3_storage, client, resident, django_capture_on_commit_callbacks
):
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 190, 180)).save(buffer, "JPEG")
    upload = upload_accept(
        file=as_upload(buffer.getvalue()),
        uploaded_by=resident,
        material_kind="document",
    )
    keys = {
        item["Key"]
        for item in s3_storage.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    }
    assert keys == {upload.storage_key, upload.thumbnail_key}
    stored = s3_storage.get_object(Bucket=BUCKET, Key=upload.storage_key)
    assert stored["ContentLength"] == upload.size
    acl = s3_storage.get_object_acl(Bucket=BUCKET, Key=upload.storage_key)
    assert not any(
        "AllUsers" in grant["Grantee"].get("URI", "") for grant in acl["Grants"]
    )

    sign_in_resident(client, resident)
    response = client.get(reverse("materials:file", args=[upload.public_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored["Body"].read()

    with django_capture_on_commit_callbacks(execute=True):
        upload_delete(upload=upload, actor=resident)
    assert s3_storage.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
