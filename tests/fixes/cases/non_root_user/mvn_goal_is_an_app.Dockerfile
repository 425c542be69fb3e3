FROM maven:3.9-eclipse-temurin-21
WORKDIR /app
COPY . .
CMD ["mvn", "spring-boot:run"]
