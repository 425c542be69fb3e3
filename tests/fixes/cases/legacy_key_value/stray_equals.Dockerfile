FROM alpine:3.20
# KEY = value is legacy form: the value is "= value", kept, and the message says so
LABEL maintainer = "Jane Doe <jane@example.com>"
env FOO = bar
