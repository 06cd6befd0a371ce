#include "tls/openssl_loader.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "tls/error.hpp"

namespace {

struct Library {
  void* handle = nullptr;
  std::string error;
};

const Library& library() {
  static const Library lib = [] {
    Library l;
    // RTLD_LOCAL: the names resolve through the handle (libssl, then libcrypto), never globally.
    l.handle = ::dlopen(nt_openssl_soname, RTLD_NOW | RTLD_LOCAL);
    if (l.handle == nullptr) l.error = std::string("cannot load OpenSSL (install libssl3): ") + ::dlerror();
    return l;
  }();
  return lib;
}

[[noreturn]] void die(const std::string& text) noexcept {
  std::string line = "nettool: " + text + "\n";
  [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
  std::_Exit(3);
}

}  // namespace

// Called by the stubs with the slot's index; returns the function to jump to.
extern "C" __attribute__((visibility("hidden"), used)) void* nt_openssl_bind(unsigned index) noexcept {
  const Library& lib = library();
  if (lib.handle == nullptr) die(lib.error);
  const char* name = nt_openssl_names + nt_openssl_name_offsets[index];
  void* fn = ::dlsym(lib.handle, name);
  if (fn == nullptr) die(std::string("OpenSSL lacks ") + name);
  __atomic_store_n(&nt_openssl_slots[index], fn, __ATOMIC_RELEASE);
  return fn;
}

// The stubs jump here with the slot in r11d: the caller's argument registers (rdi, rsi, rdx, rcx,
// r8, r9; xmm0-7 and al for variadic calls) are kept around the C++ call and the return address is
// still on the stack, so the real function runs as if called directly. Seven pushes re-align the
// stack to 16 bytes (it was 8 off after the caller's call), as the System V ABI requires at a call.
asm(R"(
  .text
  .globl nt_openssl_bind_and_jump
  .hidden nt_openssl_bind_and_jump
  .type nt_openssl_bind_and_jump,@function
nt_openssl_bind_and_jump:
  pushq %rdi
  pushq %rsi
  pushq %rdx
  pushq %rcx
  pushq %r8
  pushq %r9
  pushq %rax
  subq $128, %rsp
  movdqu %xmm0, 0(%rsp)
  movdqu %xmm1, 16(%rsp)
  movdqu %xmm2, 32(%rsp)
  movdqu %xmm3, 48(%rsp)
  movdqu %xmm4, 64(%rsp)
  movdqu %xmm5, 80(%rsp)
  movdqu %xmm6, 96(%rsp)
  movdqu %xmm7, 112(%rsp)
  movl %r11d, %edi
  call nt_openssl_bind
  movq %rax, %r11
  movdqu 0(%rsp), %xmm0
  movdqu 16(%rsp), %xmm1
  movdqu 32(%rsp), %xmm2
  movdqu 48(%rsp), %xmm3
  movdqu 64(%rsp), %xmm4
  movdqu 80(%rsp), %xmm5
  movdqu 96(%rsp), %xmm6
  movdqu 112(%rsp), %xmm7
  addq $128, %rsp
  popq %rax
  popq %r9
  popq %r8
  popq %rcx
  popq %rdx
  popq %rsi
  popq %rdi
  jmp *%r11
  .size nt_openssl_bind_and_jump, .-nt_openssl_bind_and_jump
)");

namespace nt::tls {

void load_openssl() {
  const Library& lib = library();
  if (lib.handle == nullptr) throw Error(0, lib.error);
}

}  // namespace nt::tls
