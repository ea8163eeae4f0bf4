"""GraphQL: the body on the wire (`request`), its import and export, and the schema-aware
editing helpers (schema, completion, validation, skeleton). Qt-free."""
