// placeholder: filled in by the TTLCache work.
