#!/bin/sh
exec java -jar /usr/src/app/target/app.jar
