from alpine:3.20
maintainer Jane Doe <jane@example.org>
run echo ok
maintainer last line, no final newline