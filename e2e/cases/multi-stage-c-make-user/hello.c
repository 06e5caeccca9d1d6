#include <stdio.h>
#include <unistd.h>

int main(void) {
	char cwd[256];
	printf("hello from C, uid %d, in %s\n", (int)getuid(), getcwd(cwd, sizeof cwd) ? cwd : "?");
	return 0;
}
