FROM alpine
ENV PRICE="\$5"
RUN echo "price: \$PRICE is $PRICE" && echo 'single $quoted'
CMD echo "it's \"quoted\""
