// placeholder: filled in by the PrometheusExposition work.
