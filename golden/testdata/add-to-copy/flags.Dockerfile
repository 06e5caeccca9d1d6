FROM alpine:3.20
ADD --chown=1000:1000 --chmod=0644 --link conf/app.conf /etc/app/
ADD --exclude=*.md docs/ /usr/share/doc/app/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.txt /a.txt
ADD --keep-git-dir=true https://github.com/moby/buildkit.git /bk
