# On scratch nothing can expand $NAME.
FROM golang:1.22
WORKDIR /src
COPY hello.go .
RUN CGO_ENABLED=0 go build -o /hello hello.go
ENV NAME=world
CMD /hello --name $NAME
