// placeholder: filled in by the BetterStack work.
