FROM python:3.12
cmd ["serve"] # the default
CMD ["a", "b"]# last, no final newline