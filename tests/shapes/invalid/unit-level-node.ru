# A unit whose level is a legal form.
# expect: Violation shapes:UnitShape-level sh:NodeConstraintComponent id:unit/kita-division
PREFIX org: <http://www.w3.org/ns/org#>
DELETE { <https://w3id.org/seirei/id/unit/kita-division> org:classification <https://w3id.org/seirei/vocab/unit-level/division> }
INSERT { <https://w3id.org/seirei/id/unit/kita-division> org:classification <https://w3id.org/seirei/vocab/legal-form/general-incorporated-foundation> }
WHERE { <https://w3id.org/seirei/id/unit/kita-division> org:classification <https://w3id.org/seirei/vocab/unit-level/division> }
