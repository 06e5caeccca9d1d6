from alpine:3.20 as build
arg github_token=ghp_x
from alpine:3.20
env db_password=s3cret db_user=app
