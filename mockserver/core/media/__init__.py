"""Media: the library (uploads, presigned slots, quota) and the media inputs of a post."""
