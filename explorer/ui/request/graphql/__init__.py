"""The GraphQL page of the Body tab: query editor, operation name, variables, schema."""
