"""Names that Suomi.fi e-Identification (and eIDAS) use in assertions."""

# Attributes, by their OID names (NameFormat uri).
HETU = "urn:oid:1.2.246.21"  # nationalIdentificationNumber: the Finnish personal identity code
FIRST_NAMES = "urn:oid:1.2.246.575.1.14"  # FirstName: all first names, when the IdP releases it
GIVEN_NAME = "urn:oid:2.5.4.42"  # givenName: the calling name
SURNAME = "urn:oid:2.5.4.4"  # sn
COMMON_NAME = "urn:oid:2.5.4.3"  # cn: "Surname First Names"

# Levels of assurance: only substantial and high identify a person well enough to open an account.
LOA_FTN_SUBSTANTIAL = "http://ftn.ficora.fi/2017/loa2"
LOA_FTN_HIGH = "http://ftn.ficora.fi/2017/loa3"
LOA_EIDAS_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
LOA_EIDAS_HIGH = "http://eidas.europa.eu/LoA/high"
ACCEPTED_LEVELS = (LOA_FTN_SUBSTANTIAL, LOA_FTN_HIGH, LOA_EIDAS_SUBSTANTIAL, LOA_EIDAS_HIGH)
# What the development identity provider can be told to send so that the refusal can be seen.
LOA_EIDAS_LOW = "http://eidas.europa.eu/LoA/low"
LOA_SUOMIFI_TEST_LOW = "urn:oid:1.2.246.517.3002.110.7"

# Suomi.fi reads the user interface language from this AuthnRequest extension.
VETUMA_EXTENSIONS_NS = "urn:vetuma:SAML:2.0:extensions"

# Algorithms an encrypted assertion may use. RSA PKCS#1 v1.5 key transport and 3DES are refused:
# python3-saml would decrypt them, but they are open to padding-oracle attacks.
ALLOWED_DATA_ENCRYPTION = frozenset(
    {
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
        "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        "http://www.w3.org/2009/xmlenc11#aes128-gcm",
        "http://www.w3.org/2009/xmlenc11#aes192-gcm",
        "http://www.w3.org/2009/xmlenc11#aes256-gcm",
    }
)
ALLOWED_KEY_TRANSPORT = frozenset(
    {
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
        "http://www.w3.org/2009/xmlenc11#rsa-oaep",
    }
)
