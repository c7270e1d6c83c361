# A homepage given as a string, not an IRI.
# expect: Violation shapes:OrganizationShape-homepage sh:NodeConstraintComponent id:organization/kita-association
# cause: shapes:HttpUrlShape sh:NodeKindConstraintComponent
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DELETE { <https://w3id.org/seirei/id/organization/kita-association> <https://schema.org/url> <https://www.kita-association.example.org/> }
INSERT { <https://w3id.org/seirei/id/organization/kita-association> <https://schema.org/url> "https://www.kita-association.example.org/" }
WHERE { <https://w3id.org/seirei/id/organization/kita-association> <https://schema.org/url> <https://www.kita-association.example.org/> }
