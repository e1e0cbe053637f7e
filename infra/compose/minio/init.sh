#!/bin/sh
# One-shot job (minio/mc): the docfleet bucket and the workers' access key, allowed only that
# bucket. Safe to re-run.
set -eu
until mc alias set local http://minio:9000 "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" >/dev/null 2>&1; do
    echo "waiting for MinIO"; sleep 2
done
mc mb --ignore-existing local/docfleet
cat > /tmp/docfleet-rw.json <<POLICY
{"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
   "Resource": ["arn:aws:s3:::docfleet"]},
  {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
     "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
   "Resource": ["arn:aws:s3:::docfleet/*"]}]}
POLICY
mc admin policy create local docfleet-rw /tmp/docfleet-rw.json
mc admin user add local "$WORKER_S3_ACCESS_KEY" "$WORKER_S3_SECRET_KEY"
mc admin policy attach local docfleet-rw --user "$WORKER_S3_ACCESS_KEY" 2>/dev/null \
    || echo "policy already attached"
echo "bucket docfleet and worker key ready"
