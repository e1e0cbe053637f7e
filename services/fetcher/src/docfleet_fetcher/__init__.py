"""DocFleet fetcher: downloads documents (http, https, file, s3) into the blob store."""
