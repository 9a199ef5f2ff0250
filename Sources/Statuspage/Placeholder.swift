// placeholder: filled in by the Statuspage work.
