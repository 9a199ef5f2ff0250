// placeholder: filled in by the Sandbox work.
