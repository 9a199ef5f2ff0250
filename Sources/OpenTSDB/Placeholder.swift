// placeholder: filled in by the OpenTSDB work.
