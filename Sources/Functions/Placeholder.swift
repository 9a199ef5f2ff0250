// placeholder: filled in by the Functions work.
