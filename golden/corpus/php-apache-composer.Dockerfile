FROM composer:2 AS vendor
WORKDIR /app
COPY composer.json composer.lock ./
RUN composer install --no-dev --no-scripts --no-autoloader --prefer-dist
COPY . .
RUN composer dump-autoload --optimize

FROM php:8.3-apache
RUN a2enmod rewrite
COPY --from=vendor /app /var/www/html
RUN chown -R www-data:www-data /var/www/html/storage
