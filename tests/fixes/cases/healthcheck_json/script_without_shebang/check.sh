wget -q -O /dev/null http://localhost/
