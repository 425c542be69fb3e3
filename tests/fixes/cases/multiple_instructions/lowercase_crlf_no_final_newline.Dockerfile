from alpine
cmd ["a"]
entrypoint ["e"]
cmd ["b"]