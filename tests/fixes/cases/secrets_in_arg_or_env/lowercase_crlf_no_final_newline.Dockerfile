from alpine
arg Auth
env pword=1