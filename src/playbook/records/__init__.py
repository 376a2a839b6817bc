"""Records: load the YAML with locations, check schema, references, text and lint, and build the model."""
