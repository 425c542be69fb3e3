FROM alpine:3.20
RUN echo building \

RUN echo this line is part of the RUN above
CMD ["sh"]
