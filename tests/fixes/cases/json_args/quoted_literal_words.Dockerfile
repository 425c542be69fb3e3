FROM alpine:3.20
# quotes of literal text only: the words sh would run
CMD sh -c 'echo start && exec sleep 1000'
FROM alpine:3.20 AS two
# a variable in double quotes still needs the shell
CMD echo "$HOME" 'a|b'
FROM alpine:3.20 AS three
CMD A='x y' app
