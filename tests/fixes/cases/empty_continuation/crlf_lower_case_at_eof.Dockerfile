from alpine:3.20
run echo one \

    two
run echo three \

