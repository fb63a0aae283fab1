// SPDX-License-Identifier: GPL-2.0
/* load OBJ PIN: load OBJ, attach its program, pin the link at PIN */
#include <stdio.h>
#include <bpf/libbpf.h>
int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link;

	if (argc != 3)
		return 2;
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj)) {
		perror("load");
		return 1;
	}
	bpf_object__for_each_program(prog, obj) {
		link = bpf_program__attach(prog);
		if (!link || bpf_link__pin(link, argv[2])) {
			perror("attach");
			return 1;
		}
	}
	return 0;
}
