// For binaries that carry no snapshot (the snapshot tool itself, unit tests): an empty blob range.
extern "C" const char pt_snapshot_blob[] = {0};
extern "C" const char pt_snapshot_blob_end[] __attribute__((alias("pt_snapshot_blob")));
