"""What a request becomes before it is sent: variables, inheritance, credentials, files."""
