# A homepage whose host has no dot.
# expect: Violation shapes:OrganizationShape-homepage sh:NodeConstraintComponent id:organization/kita-association
# cause: shapes:HttpUrlShape sh:PatternConstraintComponent
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
DELETE { <https://w3id.org/seirei/id/organization/kita-association> <https://schema.org/url> <https://www.kita-association.example.org/> }
INSERT { <https://w3id.org/seirei/id/organization/kita-association> <https://schema.org/url> <https://kita-association/> }
WHERE { <https://w3id.org/seirei/id/organization/kita-association> <https://schema.org/url> <https://www.kita-association.example.org/> }
