# An organization without a homepage (warning layer).
# expect: Warning shapes:HomepageKnownShape-homepage sh:MinCountConstraintComponent id:organization/kita-association
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DELETE DATA { <https://w3id.org/seirei/id/organization/kita-association> <https://schema.org/url> <https://www.kita-association.example.org/> }
