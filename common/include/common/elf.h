/*
 * The ELF64 structures and constants that the kernel (boot/root_task.c,
 * the root task) and libsel (spawn.c, every other program) load images by.
 * Field names follow the ELF specification without the e_/p_/sh_/st_
 * prefixes; the header's four identification bytes read as one word.
 */
#ifndef SELENE_COMMON_ELF_H
#define SELENE_COMMON_ELF_H

#include <stdint.h>

#define ELF_MAGIC  0x464c457fu /* "\x7fELF", little-endian */
#define ELFCLASS64 2
#define EM_RISCV   243
#define ET_EXEC    2
#define PT_LOAD    1
#define PF_X       1
#define PF_W       2
#define PF_R       4
#define SHT_SYMTAB 2

struct elf64_ehdr {
	uint32_t magic;
	uint8_t class, data, version, osabi, pad[8];
	uint16_t type, machine;
	uint32_t version2;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf64_shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

struct elf64_sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "ELF64 header");
_Static_assert(sizeof(struct elf64_phdr) == 56, "ELF64 program header");
_Static_assert(sizeof(struct elf64_shdr) == 64, "ELF64 section header");
_Static_assert(sizeof(struct elf64_sym) == 24, "ELF64 symbol");

#endif /* SELENE_COMMON_ELF_H */
