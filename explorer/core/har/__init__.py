"""The parts of a HAR archive that are more than a field copy: request bodies (postData,
multipart parts, base64) and cookies. `core/formats/har` reads and writes the archive."""
