"""Names that Suomi.fi e-Identification (and eIDAS) use, as its integration guide spells them.

Sources: Suomi.fi for Service Developers (kehittajille.suomi.fi), "Creating metadata for the
e-Service", the metadata template, "Attributes transmitted on an identified user" and "Test tools
in the e-Identification test environment".
"""

URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"

# -- attributes (NameFormat uri), with the FriendlyName Suomi.fi sends ------------------------
# "Limited personal information" (suppea henkilötietosisältö) for a Finnish identification:
HETU = "urn:oid:1.2.246.21"  # nationalIdentificationNumber: the Finnish personal identity code
FIRST_NAMES = "http://eidas.europa.eu/attributes/naturalperson/CurrentGivenName"  # FirstName: all first names
GIVEN_NAME = "urn:oid:2.5.4.42"  # givenName: the calling name, or the first of the first names
SURNAME = "urn:oid:2.5.4.4"  # sn
COMMON_NAME = "urn:oid:2.5.4.3"  # cn: "Surname First Names"
DISPLAY_NAME = "urn:oid:2.16.840.1.113730.3.1.241"  # displayName: "Calling-name Surname"
# A foreign identification through the eIDAS node brings no identity code, only these (and
# FirstName above):
EIDAS_PERSON_IDENTIFIER = "http://eidas.europa.eu/attributes/naturalperson/PersonIdentifier"
EIDAS_FAMILY_NAME = "http://eidas.europa.eu/attributes/naturalperson/CurrentFamilyName"
EIDAS_DATE_OF_BIRTH = "http://eidas.europa.eu/attributes/naturalperson/DateOfBirth"

FRIENDLY_NAMES = {
    HETU: "nationalIdentificationNumber",
    FIRST_NAMES: "FirstName",
    GIVEN_NAME: "givenName",
    SURNAME: "sn",
    COMMON_NAME: "cn",
    DISPLAY_NAME: "displayName",
    EIDAS_PERSON_IDENTIFIER: "PersonIdentifier",
    EIDAS_FAMILY_NAME: "FamilyName",
    EIDAS_DATE_OF_BIRTH: "DateOfBirth",
}

# What our metadata requests: Suomi.fi releases only these. The portal reads the names and the
# identity code; PersonIdentifier only tells a foreign identity from a response that lost its
# identity code. Nothing else (addresses, e-mail, mother tongue) is asked for.
REQUESTED_ATTRIBUTES = (HETU, FIRST_NAMES, GIVEN_NAME, SURNAME, COMMON_NAME, DISPLAY_NAME, EIDAS_PERSON_IDENTIFIER)

# -- authentication contexts (FinnishAuthMethod values, AuthnContextClassRef) ------------------
LOA_FTN_HIGH = "http://ftn.ficora.fi/2017/loa3"  # high, fLoA3: mobile certificate, certificate card
LOA_EIDAS_HIGH = "http://eidas.europa.eu/LoA/high"  # high, eLoA3
LOA_FTN_SUBSTANTIAL = "http://ftn.ficora.fi/2017/loa2"  # substantial, fLoA2: online banking codes
LOA_EIDAS_SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"  # substantial, eLoA2
LOA_EIDAS_LOW = "http://eidas.europa.eu/LoA/low"  # not strong
# Suomi.fi's own test identifier ("testitunnistaja"): exists only in its test environment.
TEST_IDENTIFIER = "urn:oid:1.2.246.517.3002.110.999"
# The Finnish Authenticator, an identification for foreigners that is not strong.
FINNISH_AUTHENTICATOR = "urn:oid:1.2.246.517.3002.110.7"

# The strong contexts in the order of Suomi.fi's metadata template; the default of
# HEKA_SAML_ACCEPTED_CONTEXTS and the only values that setting may hold.
STRONG_CONTEXTS = (LOA_FTN_HIGH, LOA_EIDAS_HIGH, LOA_FTN_SUBSTANTIAL, LOA_EIDAS_SUBSTANTIAL)

# -- Suomi.fi's metadata entity attributes (md:Extensions/mdattr:EntityAttributes) -------------
FINNISH_AUTH_METHOD = "FinnishAuthMethod"
VTJ_VERIFICATION_REQUIRED = "urn:oid:1.2.246.517.3003.111.3"  # FriendlyName VtjVerificationRequired
SKIP_ENDPOINT_VALIDATION_WHEN_SIGNED = "urn:oid:1.2.246.517.3003.111.4"  # SkipEndpointValidationWhenSigned
EIDAS_SUPPORT = "urn:oid:1.2.246.517.3003.111.14"  # FriendlyName EidasSupport: "full" or "none"

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
