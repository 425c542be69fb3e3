from scratch
workdir app
run true
workdir  bin