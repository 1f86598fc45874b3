#pragma once
// libtorch's OpenMP threads spin between parallel regions while OpenBLAS's own threads run the
// matrix products, and on a machine with few cores they fight for them: on 2 cores a GPT-2-small
// forward at 2 threads was slower than at 1 until OMP_WAIT_POLICY=PASSIVE made idle OpenMP
// threads sleep. libgomp reads the variable once, when it is loaded (before main), so it can only
// be set by starting the program again: call this first thing in main.
namespace attnx {

// When OMP_WAIT_POLICY is unset, sets it to PASSIVE and replaces the process with itself
// (/proc/self/exe, same arguments and PID). A variable the user set is kept as it is, and
// ATTNX_NO_RESTART (any value) turns the restart off; when the exec fails, or the program was
// started through the dynamic loader or an emulator, it goes on with the default policy.
void restartWithPassiveOpenMpWait(char** argv);

}  // namespace attnx
