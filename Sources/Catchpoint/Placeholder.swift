// placeholder: filled in by the Catchpoint work.
