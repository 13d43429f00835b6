"""The parts of scripts/benchmark.py: measuring one step (measure), what is measured
(generator, model_layer, pipeline, on the raw tables of landing) and the report (report)."""
