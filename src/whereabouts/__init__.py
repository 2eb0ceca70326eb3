"""whereabouts: the register of people subject to Part 2 of the Sexual Offences Act 2003."""

__version__ = "0.1.0"
