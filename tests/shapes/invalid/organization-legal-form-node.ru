# An organization whose legal form is a unit level.
# expect: Violation shapes:OrganizationShape-legalForm sh:NodeConstraintComponent id:organization/kita-association
PREFIX org: <http://www.w3.org/ns/org#>
DELETE { <https://w3id.org/seirei/id/organization/kita-association> org:classification <https://w3id.org/seirei/vocab/legal-form/public-interest-incorporated-foundation> }
INSERT { <https://w3id.org/seirei/id/organization/kita-association> org:classification <https://w3id.org/seirei/vocab/unit-level/bureau> }
WHERE { <https://w3id.org/seirei/id/organization/kita-association> org:classification <https://w3id.org/seirei/vocab/legal-form/public-interest-incorporated-foundation> }
