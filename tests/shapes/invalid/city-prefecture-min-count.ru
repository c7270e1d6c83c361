# A city in no prefecture.
# expect: Violation shapes:CityShape-prefecture sh:MinCountConstraintComponent id:city/kita
PREFIX schema: <https://schema.org/>
DELETE DATA { <https://w3id.org/seirei/id/city/kita> schema:containedInPlace <https://w3id.org/seirei/id/prefecture/minami> }
